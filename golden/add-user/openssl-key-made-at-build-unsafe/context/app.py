import os, http.server, socketserver
import six
BODY = ''
import ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain('certs/cert.pem', 'certs/key.pem')
BODY = 'tls ready'

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(('ok six ' + six.__version__ + ' ' + BODY).encode())
port = int(os.environ.get('PORT', '8000'))
socketserver.TCPServer(('', port), H).serve_forever()
