import socketserver, http.server
PORT = 80
socketserver.TCPServer(('', PORT), http.server.SimpleHTTPRequestHandler).serve_forever()
