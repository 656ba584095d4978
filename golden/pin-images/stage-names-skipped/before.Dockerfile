FROM node:18 AS Build
FROM build
COPY --from=BUILD /a /a
COPY --from=0 /b /b
FROM scratch
