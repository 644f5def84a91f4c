// The GitHub App as Probot's own runner loads it: `npm run setup` (`probot run ./dist/index.js`)
// uses it to register the app from app.yml. Serving webhooks is `npm start` (src/server.ts),
// which puts Airlock's webhook guard in front of Probot.
import { createAirlockApp } from './github/app.js';

export default createAirlockApp().app;
