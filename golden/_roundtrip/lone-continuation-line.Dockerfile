FROM alpine
\
RUN echo odd
