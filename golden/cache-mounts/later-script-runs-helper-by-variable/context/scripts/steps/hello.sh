echo hello > /tmp/hello
