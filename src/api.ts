// The add-on's whole public surface: every function Apps Script must see as a global (triggers,
// menu items, doGet/doPost, google.script.run targets) is exported here and nowhere else.
// The build turns each export into a top-level declaration. Nothing here runs at load time.
export { onInstall, onOpen } from './server/menu';
