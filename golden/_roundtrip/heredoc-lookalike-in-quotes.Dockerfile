FROM alpine
RUN echo '<<EOF' && echo "<<NOT"
RUN echo done
