print(open("/opt/vendor/licence/key.txt").read())
