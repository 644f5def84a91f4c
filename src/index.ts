// The GitHub App, as Probot loads it: `probot run ./dist/index.js` (see `npm start`).
import { createAirlockApp } from './github/app.js';

export default createAirlockApp().app;
