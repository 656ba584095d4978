import argparse, socket
p = argparse.ArgumentParser()
p.add_argument('--port', type=int, default=80)
socket.socket().bind(('', p.parse_args().port))
