open('/var/log/svc.log','a').write('start\n'); print('started')
