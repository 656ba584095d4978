FROM alpine
RUN apk add \
    # editors
    vim \

    nano \
    # end
    curl
