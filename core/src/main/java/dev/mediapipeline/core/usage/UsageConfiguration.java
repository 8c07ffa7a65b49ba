package dev.mediapipeline.core.usage;

import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Usage statistics: the origin's in-memory delivery counts ({@code media.usage.max-keys}, 50,000
 * distinct counts before an early flush), the edge's log reader, the daily rollup and its report.
 */
@Configuration(proxyBeanMethods = false)
public class UsageConfiguration {

    @Bean
    UsageMeter usageMeter(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock,
            @Value("${media.usage.max-keys:50000}") int maxKeys) {
        return new UsageMeter(jdbc, transactions, clock, maxKeys);
    }

    @Bean
    EdgeLog edgeLog(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new EdgeLog(jdbc, transactions);
    }

    @Bean
    UsageRollup usageRollupQueries(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new UsageRollup(jdbc, transactions);
    }

    @Bean
    UsageReport usageReport(JdbcTemplate jdbc) {
        return new UsageReport(jdbc);
    }
}
