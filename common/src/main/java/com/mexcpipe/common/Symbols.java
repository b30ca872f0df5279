package com.mexcpipe.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses a comma-separated symbol list ({@code SYMBOLS}); base names must be unique because they name tables. */
public final class Symbols {
    private Symbols() {
    }

    public static List<Symbol> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty symbol list");
        }
        List<Symbol> out = new ArrayList<>();
        Map<String, Symbol> byBase = new HashMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("empty entry in symbol list '" + text + "'");
            }
            Symbol s = Symbol.parse(part);
            Symbol clash = byBase.putIfAbsent(s.base(), s);
            if (clash != null) {
                throw new IllegalArgumentException(clash + " and " + s + " share the table base name '" + s.base()
                        + "'; each symbol needs its own base asset");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }
}
