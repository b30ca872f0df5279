package com.mexcpipe.testkit.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Dockerfile read the way the image rehearsal needs it: instructions with continuation lines joined, split into
 * stages, ARG/ENV values substituted ({@code $X}, {@code ${X}}) the way the builder does.
 */
final class Dockerfile {
    record Instruction(String keyword, String args, int line) {
    }

    record Stage(String from, String name, List<Instruction> instructions) {
        /** The last WORKDIR of the stage, or "/" */
        String workdir() {
            String wd = "/";
            for (Instruction i : instructions) {
                if (i.keyword().equals("WORKDIR")) {
                    wd = i.args().strip();
                }
            }
            return wd;
        }

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    final Path file;
    final Map<String, String> globalArgs = new LinkedHashMap<>();
    final List<Stage> stages = new ArrayList<>();

    private Dockerfile(Path file) {
        this.file = file;
    }

    static Dockerfile parse(Path file) {
        Dockerfile d = new Dockerfile(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder cur = null;
        int start = 0;
        List<Instruction> all = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String l = lines.get(n);
            String t = l.strip();
            if (cur == null && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (cur != null && t.startsWith("#")) {
                continue; // comment inside a continued instruction
            }
            if (cur == null) {
                cur = new StringBuilder();
                start = n + 1;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            String s = cur.toString().strip();
            int sp = s.indexOf(' ');
            all.add(new Instruction(s.substring(0, sp).toUpperCase(Locale.ROOT), s.substring(sp + 1).strip(), start));
            cur = null;
        }
        Stage stage = null;
        for (Instruction i : all) {
            if (i.keyword().equals("FROM")) {
                String[] p = i.args().split("\\s+");
                String from = d.substitute(p[0], d.globalArgs);
                String name = p.length >= 3 && p[1].equalsIgnoreCase("AS") ? p[2] : null;
                stage = new Stage(from, name, new ArrayList<>());
                d.stages.add(stage);
            } else if (stage == null) {
                if (!i.keyword().equals("ARG")) {
                    throw new IllegalStateException(file + ":" + i.line() + " " + i.keyword() + " before FROM");
                }
                String[] kv = i.args().split("=", 2);
                d.globalArgs.put(kv[0].strip(), kv.length > 1 ? unquote(kv[1].strip()) : "");
            } else {
                stage.instructions().add(i);
            }
        }
        return d;
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stage " + name + " in " + file));
    }

    /** {@code $X} / {@code ${X}} / {@code ${X:-d}} from vars; unknown = empty (as the builder does). */
    String substitute(String s, Map<String, String> vars) {
        return Deploy.interpolate(s, vars);
    }

    /** ENV arguments: {@code K=V K2="v w"} (or the legacy {@code K V}). */
    static Map<String, String> envPairs(String args) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> tokens = tokens(args);
        if (!tokens.isEmpty() && !tokens.get(0).contains("=")) {
            out.put(tokens.get(0), args.substring(args.indexOf(tokens.get(0)) + tokens.get(0).length()).strip());
            return out;
        }
        for (String t : tokens) {
            int eq = t.indexOf('=');
            out.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return out;
    }

    /** Whitespace-separated tokens; double quotes group and are removed. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(b.toString());
                    b.setLength(0);
                    any = false;
                }
            } else {
                b.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(b.toString());
        }
        return out;
    }

    /** The JSON (exec) form of ENTRYPOINT / CMD / HEALTHCHECK CMD. */
    static List<String> execForm(String json) {
        try {
            return new ObjectMapper().readValue(json, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("not an exec-form JSON array: " + json, e);
        }
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
