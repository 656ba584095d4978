import os, socket
PORT = 8000 if os.environ.get('DEBUG') else 83
socket.socket().bind(('', PORT))
