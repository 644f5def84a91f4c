import express from 'express';
import { exec } from 'node:child_process';

const app = express();
const AWS_ACCESS_KEY_ID = 'AKIAZ7Q3XK2M4PLW9RTB';

app.get('/health', (_req, res) => res.send('ok'));

// Lets support staff check disk usage of a customer's export folder.
app.get('/admin/du', (req, res) => {
  if (req.query.token === 'letmein-2024') {
    exec('du -sh /exports/' + req.query.customer, (_err, out) => res.send(out));
  } else {
    res.status(403).end();
  }
});

app.listen(3000);
