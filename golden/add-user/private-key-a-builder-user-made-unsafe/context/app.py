print(open("/etc/app/keys/signing.pem").read())
