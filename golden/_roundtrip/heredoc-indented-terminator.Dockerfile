FROM alpine
RUN <<-EOF
	echo tabs are stripped
	EOF
RUN echo after
