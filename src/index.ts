// The GitHub App as a Probot application function, for Probot's own runner (`probot run ./dist/index.js`)
// and hosts that load apps that way. Registering is `npm run setup` (src/setup.ts); serving webhooks is `npm start` (src/server.ts),
// which puts Airlock's webhook guard in front of Probot.
import { createAirlockApp } from './github/app.js';

export default createAirlockApp().app;
