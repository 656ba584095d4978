package org.example.tally;

import java.util.Map;
import java.util.TreeMap;

/** Counts the letters of a fixed sentence, or of its arguments, and says which are vowels. */
public final class Tally {
    private static final String VOWELS = "aeiou";

    private Tally() {
    }

    public static void main(String[] args) {
        String text = args.length > 0 ? String.join(" ", args) : "built by gradle on a java seventeen runtime";
        Map<Character, Integer> counts = new TreeMap<>();
        for (char c : text.toCharArray()) {
            if (Character.isLetter(c)) {
                counts.merge(c, 1, Integer::sum);
            }
        }
        counts.forEach((letter, times) -> {
            String kind = VOWELS.indexOf(letter) >= 0 ? "vowel" : "consonant";
            System.out.println(letter + " " + kind + " " + times);
        });
    }
}
