#!/bin/bash
# Build stage of Dockerfile.client and Dockerfile.exporter (image maven:3.9.x-eclipse-temurin-17, workdir /src):
#   deps  with only the poms copied in: a Maven run that downloads every dependency and plugin the build needs
#         (a Docker layer that stays cached until a pom changes)
#   jars  with the sources copied in: builds the service jars offline (-o), tests skipped (CI runs them)
# The same files are built on any host: nothing from the host but the sources goes in.
set -euo pipefail

modules=common,client,exporter,setup-db,verif

case "${1:-}" in
    deps)
        # `dependency:go-offline` ignores the poms' <exclusions> (clickhouse-jdbc's missing zstd-jni:cloud), so
        # run the real build on the poms alone: it resolves exactly what the build with sources resolves
        mvn -B -ntp -q -pl "$modules" -am -DskipTests package
        rm -rf ./*/target
        ;;
    jars)
        mvn -B -ntp -o -pl "$modules" -am -DskipTests package
        ls -l client/target/client.jar exporter/target/exporter.jar setup-db/target/setup-db.jar verif/target/verif.jar
        ;;
    *)
        echo "usage: $0 deps|jars" >&2
        exit 2
        ;;
esac
