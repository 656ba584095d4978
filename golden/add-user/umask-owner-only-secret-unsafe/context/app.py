import os, http.server, socketserver
import six
BODY = ''
BODY = 'secret ' + str(len(open('.secret_key').read().strip()))

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(('ok six ' + six.__version__ + ' ' + BODY).encode())
port = int(os.environ.get('PORT', '8000'))
socketserver.TCPServer(('', port), H).serve_forever()
