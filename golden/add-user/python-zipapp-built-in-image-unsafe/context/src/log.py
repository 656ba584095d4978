open('/var/log/app.log', 'a').write('start\n')
