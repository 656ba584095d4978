open('/var/log/prep.log','a').write('prep\n')
