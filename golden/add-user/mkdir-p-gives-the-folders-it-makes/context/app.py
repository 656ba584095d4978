import os, http.server, socketserver
import six
BODY = ''
open("/app/var/state.json", "w").write("{}"); open("/app/var/cache/thumbs/t", "w").write("1"); BODY = "var ok"
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(('ok six ' + six.__version__ + ' ' + BODY).encode())
port = int(os.environ.get('PORT', '8000'))
socketserver.TCPServer(('', port), H).serve_forever()
