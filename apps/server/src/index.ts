export { buildApp } from './app.js';
export { type Config, loadConfig } from './config.js';
export { type RunningServer, startServer } from './server.js';
