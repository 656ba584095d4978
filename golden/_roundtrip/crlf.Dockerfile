FROM alpine
# comment

RUN echo a \
    && echo b
