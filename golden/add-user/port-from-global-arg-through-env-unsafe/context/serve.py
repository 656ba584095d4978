import os, socket
socket.socket().bind(('', int(os.environ['PORT'])))
