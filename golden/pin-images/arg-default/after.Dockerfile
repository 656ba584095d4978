ARG NODE_IMAGE=node:18@sha256:c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3
FROM ${NODE_IMAGE} AS build
RUN npm ci
