FROM	alpine
	RUN	echo	indented
    run echo lower case
  Env A=b
