// Prints every frame a servicebotd WebSocket sends, one JSON object a line,
// so shell tests can wait for a frame with grep.
// usage: node ws_watch.js URL TOKEN
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[2], 'chat', {
    headers: { Authorization: 'Bearer ' + process.argv[3] },
});
ws.on('message', (data) => process.stdout.write(data.toString() + '\n'));
ws.on('close', (code, reason) => {
    process.stdout.write(JSON.stringify({ type: 'closed', code, reason: reason.toString() }) + '\n');
    process.exit(0);
});
ws.on('error', (e) => {
    process.stderr.write('ws_watch: ' + e.message + '\n');
    process.exit(1);
});
