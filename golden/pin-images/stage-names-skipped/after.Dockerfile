FROM node:18@sha256:c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3 AS Build
FROM build
COPY --from=BUILD /a /a
COPY --from=0 /b /b
FROM scratch
