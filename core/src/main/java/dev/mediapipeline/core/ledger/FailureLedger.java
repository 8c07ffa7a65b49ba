package dev.mediapipeline.core.ledger;

import dev.mediapipeline.core.error.RejectedException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rows of the failure ledger: what failed, in which job execution, of which class and why. */
public class FailureLedger {

    public enum Kind { UPLOAD, ASSET }

    private final JdbcClient jdbc;

    public FailureLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code rejected:<reason>} for a refusal, {@code failed:<exception>} for anything else. */
    public static String classOf(Throwable t) {
        if (t instanceof dev.mediapipeline.core.error.ItemFailedException failed) {
            return "failed:" + failed.failureClass();
        }
        return t instanceof RejectedException r ? "rejected:" + r.reason() : "failed:" + t.getClass().getSimpleName();
    }

    /** The longest message kept. */
    static final int MAX_MESSAGE = 4000;

    /**
     * A failure's message made storable and readable: it may quote the hostile file itself (a box
     * type, a name, a decoder's complaint) and so hold NULs, which PostgreSQL's text refuses (the
     * insert would fail the whole chunk), or terminal escapes and bidi controls. Those become U+FFFD;
     * line breaks and tabs stay; at most {@value #MAX_MESSAGE} characters.
     */
    public static String printable(String message) {
        if (message == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
        for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c) && out.length() == MAX_MESSAGE - 1) {
                break; // a pair is not cut in two
            }
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c < 0xa0
                    || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f || c == 0x061c
                    || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(message.charAt(i - 1)));
            out.append(control ? '\ufffd' : c);
        }
        if (message.length() > MAX_MESSAGE && out.length() >= MAX_MESSAGE - 1) {
            out.append(" ...");
        }
        return out.toString();
    }

    /** Records a failure of an item of {@code tenantId}'s (the upload's or asset's own tenant). */
    public void record(String jobName, long jobExecutionId, Kind kind, UUID itemId, UUID tenantId, Throwable t) {
        record(jobName, jobExecutionId, kind, itemId, null, tenantId, t);
    }

    /** The same, with the item's name (an upload's file name as staged; null when it has none), kept printable and at most 255 characters. */
    public void record(String jobName, long jobExecutionId, Kind kind, UUID itemId, String itemName, UUID tenantId, Throwable t) {
        java.util.Objects.requireNonNull(tenantId, "a failure belongs to its item's tenant");
        String name = itemName == null ? null : printable(itemName);
        jdbc.sql("""
                insert into failure_ledger (job_name, job_execution_id, item_kind, item_id, item_name, failure_class, reason, tenant_id)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(jobName, jobExecutionId, kind.name(), itemId, name == null || name.length() <= 255 ? name : name.substring(0, 255),
                        classOf(t), printable(t.getMessage()), tenantId)
                .update();
    }

    /** A later attempt of the item succeeded: its failures are history. */
    public void resolve(UUID itemId) {
        jdbc.sql("update failure_ledger set resolved_at = now() where item_id = ? and resolved_at is null and failure_class like 'failed:%'")
                .param(itemId).update();
    }

    public void markRequeued(long id, long jobExecutionId) {
        jdbc.sql("update failure_ledger set requeued_at = now(), requeue_execution_id = ? where id = ?").params(jobExecutionId, id).update();
    }

    /** Open entries of a class (neither resolved nor requeued) of one tenant (null: every tenant), oldest first. */
    public List<Map<String, Object>> open(String failureClass, UUID tenantId) {
        return jdbc.sql("""
                select id, job_name, job_execution_id, item_kind, item_id, failure_class, reason, created_at from failure_ledger
                where failure_class = ? and resolved_at is null and requeued_at is null
                  and (cast(? as uuid) is null or tenant_id = ?) order by id""")
                .params(failureClass, tenantId, tenantId).query().listOfRows();
    }

    /** Counts of open entries per class, of one tenant (null: every tenant). */
    public List<Map<String, Object>> summary(UUID tenantId) {
        return jdbc.sql("""
                select failure_class, count(*) as open from failure_ledger
                where resolved_at is null and requeued_at is null and (cast(? as uuid) is null or tenant_id = ?)
                group by failure_class order by failure_class""")
                .params(tenantId, tenantId).query().listOfRows();
    }

    /** Entries of one class (or all), of one tenant (null: every tenant), newest first. */
    public List<Map<String, Object>> page(String failureClass, UUID tenantId, int limit, int offset) {
        return jdbc.sql("""
                select id, tenant_id, job_name, job_execution_id, item_kind, item_id, item_name, failure_class, reason, created_at, resolved_at,
                       requeued_at, requeue_execution_id
                from failure_ledger where (cast(? as text) is null or failure_class = ?) and (cast(? as uuid) is null or tenant_id = ?)
                order by id desc limit ? offset ?""")
                .params(failureClass, failureClass, tenantId, tenantId, limit, offset).query().listOfRows();
    }
}
