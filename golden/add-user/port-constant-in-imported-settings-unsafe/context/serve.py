import socket
from settings import PORT
socket.socket().bind(('', PORT))
