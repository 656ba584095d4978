FROM alpine
FROBNICATE --all the things
RUN echo ok
