#!/bin/bash
# Build stage of Dockerfile.client and Dockerfile.exporter (image maven:3.9.x-eclipse-temurin-17, workdir /src):
#   deps  with only the poms copied in: a Maven build of placeholder sources that downloads every dependency,
#         plugin and annotation processor the real build needs (a Docker layer, cached until a pom changes)
#   jars  with the sources copied in: builds the service jars, tests compiled but not run (CI runs them)
# The same files are built on any host: nothing from the host but the sources goes in.
# With JARS=host (the build argument ./setup --host-jars passes) neither step runs Maven: `jars` puts the jars the
# host compiled (docker/host-jars/) where the final stages copy them from, and the build stage needs no Maven image.
set -euo pipefail

modules=common,client,exporter,setup-db,verif
jars=${JARS:-maven}

case "$jars" in
    maven) ;;
    host)
        case "${1:-}" in
            deps) echo "build-jars: JARS=host, no Maven in the image build" ;;
            jars)
                for j in client exporter setup-db verif; do
                    [ -s "docker/host-jars/$j.jar" ] || {
                        echo "build-jars: JARS=host but docker/host-jars/$j.jar is missing: run ./setup --host-jars" >&2
                        exit 1
                    }
                    mkdir -p "$j/target"
                    cp "docker/host-jars/$j.jar" "$j/target/$j.jar"
                done
                ls -l client/target/client.jar exporter/target/exporter.jar setup-db/target/setup-db.jar verif/target/verif.jar
                ;;
            *)
                echo "usage: $0 deps|jars" >&2
                exit 2
                ;;
        esac
        exit 0
        ;;
    *)
        echo "build-jars: JARS=$jars is not maven or host" >&2
        exit 2
        ;;
esac

case "${1:-}" in
    deps)
        # `dependency:go-offline` ignores the poms' <exclusions> (clickhouse-jdbc's missing zstd-jni:cloud), so
        # run the real build: one placeholder class per source set makes every compiler run (and resolve its
        # annotation processors, e.g. JMH's) exactly as the build with the real sources will
        for m in ${modules//,/ }; do
            for set in main test; do
                mkdir -p "$m/src/$set/java/mexcpipewarmup"
                printf 'package mexcpipewarmup;\nclass Warmup {\n}\n' >"$m/src/$set/java/mexcpipewarmup/Warmup.java"
            done
        done
        mvn -B -ntp -q -pl "$modules" -am -DskipTests package
        rm -rf ./*/target ./*/src
        ;;
    jars)
        # online: anything the warm-up did not fetch is fetched now (same pinned versions either way)
        mvn -B -ntp -pl "$modules" -am -DskipTests package
        ls -l client/target/client.jar exporter/target/exporter.jar setup-db/target/setup-db.jar verif/target/verif.jar
        ;;
    *)
        echo "usage: $0 deps|jars" >&2
        exit 2
        ;;
esac
