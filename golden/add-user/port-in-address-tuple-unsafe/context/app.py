import socketserver, http.server
socketserver.TCPServer(('', 80), http.server.SimpleHTTPRequestHandler).serve_forever()
