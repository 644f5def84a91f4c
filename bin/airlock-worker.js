#!/usr/bin/env node
// `airlock-worker`: the app as a worker process, taking review jobs from the queue in Redis
// (REDIS_URL) and answering only health, readiness and metrics: `npm start` with AIRLOCK_ROLE=worker.
process.env.AIRLOCK_ROLE ||= 'worker';
await import('../dist/server.js');
