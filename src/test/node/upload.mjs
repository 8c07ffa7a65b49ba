// Uploads one file with the unmodified tus-js-client, as a Node application would.
//   node upload.mjs ENDPOINT FILE [UPLOAD_URL]
// With UPLOAD_URL it resumes that upload from the server's offset (tus HEAD) instead of creating one.
// Prints: "URL <upload url>", "PROGRESS <bytes acknowledged>" after every chunk, "RETRY <status>" when
// it retries a refused request, "DONE" at the end.
// MEDIA_API_KEY: the API key, sent as Authorization: Bearer on every request. tus-js-client retries
// no 4xx by default; onShouldRetry adds 429 (over a rate limit), as the README tells users to.
// TUS_CHUNK_SIZE: bytes per PATCH (1 MiB by default).
// The pause before each PATCH stands for a slow network, so that a test can kill this process
// halfway through; it does not change what the client sends.
import fs from 'node:fs';
import path from 'node:path';
import * as tus from 'tus-js-client';

const [endpoint, file, uploadUrl] = process.argv.slice(2);
const size = fs.statSync(file).size;
const pauseMs = Number(process.env.TUS_PAUSE_MS ?? '0');
const chunkSize = Number(process.env.TUS_CHUNK_SIZE ?? String(1024 * 1024));
const apiKey = process.env.MEDIA_API_KEY;

const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint,
  uploadUrl: uploadUrl || null,
  uploadSize: size,
  chunkSize,
  headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
  retryDelays: [0, 200, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  onShouldRetry: (err, retryAttempt, options) => {
    const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
    const retry = status === 429 || status === 409 || status === 423 || !(status >= 400 && status < 500);
    if (retry) console.log(`RETRY ${status}`);
    return retry;
  },
  metadata: { filename: path.basename(file) },
  onBeforeRequest: (req) => req.getMethod() === 'PATCH' && pauseMs > 0
    ? new Promise((resolve) => setTimeout(resolve, pauseMs)) : undefined,
  onUploadUrlAvailable: () => console.log(`URL ${upload.url}`),
  onChunkComplete: (_chunk, accepted) => console.log(`PROGRESS ${accepted}`),
  onSuccess: () => { console.log('DONE'); },
  onError: (error) => { console.error(`ERROR ${error}`); process.exit(1); },
});
upload.start();
