open('/var/log/app.log', 'a').write('start\n')
print('started')
