import os, socket
PORT = int(os.getenv('PORT') or 80)
socket.socket().bind(('', PORT))
