import os, http.server, socketserver
import six
BODY = ''
p = os.path.join(os.path.expanduser("~"), ".cache", "huggingface", "hub", "models--demo", "model.bin")
BODY = "model " + open(p).read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(('ok six ' + six.__version__ + ' ' + BODY).encode())
port = int(os.environ.get('PORT', '8000'))
socketserver.TCPServer(('', port), H).serve_forever()
