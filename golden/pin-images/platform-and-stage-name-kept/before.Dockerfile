from --platform=$BUILDPLATFORM node:18 as Build
RUN make
