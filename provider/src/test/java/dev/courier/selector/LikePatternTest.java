package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link LikePattern} on its own: every shape it specialises, wildcards and escapes. */
class LikePatternTest {

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', emptyValue = "", textBlock = """
            abc      | abc        | true
            abc      | abcd       | false
            abc      | ab         | false
            ""       | ""         | true
            ""       | a          | false
            abc%     | abc        | true
            abc%     | abcdef     | true
            abc%     | xabc       | false
            %abc     | abc        | true
            %abc     | xxabc      | true
            %abc     | abcx       | false
            %abc%    | abc        | true
            %abc%    | xxabcxx    | true
            %abc%    | abxc       | false
            %        | ""         | true
            %        | anything   | true
            %%%      | ""         | true
            _        | a          | true
            _        | ""         | false
            _        | ab         | false
            a_c      | abc        | true
            a_c      | ac         | false
            a_c      | abbc       | false
            a%c      | ac         | true
            a%c      | abbbbc     | true
            a%c      | abcb       | false
            a%b%c    | aXbYc      | true
            a%b%c    | acb        | false
            %a%a%a%  | banana     | true
            %a%a%a%a% | banana    | false
            %ana     | banana     | true
            b%ana    | banana     | true
            %n_n%    | banana     | true
            _%_      | ab         | true
            _%_      | a          | false
            %_%      | ""         | false
            %aab     | aaaab      | true
            a%aab    | aab        | false
            %%ab%%   | xaby       | true
            """)
    void matchesWithoutEscape(String pattern, String value, boolean expected) {
        assertEquals(expected, LikePattern.compile(pattern, -1).matches(value), pattern + " on " + value);
    }

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' ESCAPE ''!'' is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            100!%    | 100%       | true
            100!%    | 1000       | false
            100!%    | 100%x      | false
            !%%      | %abc       | true
            !%%      | abc        | false
            %!%      | 50%        | true
            %!%%     | a%b        | true
            %!%%     | ab         | false
            a!_b     | a_b        | true
            a!_b     | axb        | false
            %!_%     | x_y        | true
            %!_%     | xy         | false
            a!!b     | a!b        | true
            a!!b     | ab         | false
            a!!%     | a!xyz      | true
            !!       | !          | true
            !a!b     | ab         | true
            """)
    void escapeMakesNextCharacterLiteral(String pattern, String value, boolean expected) {
        assertEquals(expected, LikePattern.compile(pattern, '!').matches(value), pattern + " on " + value);
    }

    @Test
    void backslashCanBeTheEscapeCharacter() {
        LikePattern pattern = LikePattern.compile("a\\%b\\_c", '\\');
        assertTrue(pattern.matches("a%b_c"));
        assertFalse(pattern.matches("axbxc"));
    }

    @Test
    void percentCanBeTheEscapeCharacter() {
        LikePattern pattern = LikePattern.compile("a%%", '%');
        assertTrue(pattern.matches("a%"));
        assertFalse(pattern.matches("abc"));
    }

    @Test
    void danglingEscapeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LikePattern.compile("abc!", '!'));
    }

    @Test
    void underscoreMatchesOneCodePointNotOneChar() {
        String smiley = new String(Character.toChars(0x1F600));
        assertTrue(LikePattern.compile("a_b", -1).matches("a" + smiley + "b"));
        assertTrue(LikePattern.compile("%_", -1).matches(smiley));
        assertFalse(LikePattern.compile("__", -1).matches(smiley));
    }

    @Test
    void percentMatchesAcrossLineBreaks() {
        assertTrue(LikePattern.compile("a%b", -1).matches("a\n\r\nb"));
        assertTrue(LikePattern.compile("a_b", -1).matches("a\nb"));
    }

    @Test
    void regexMetacharactersAreLiteral() {
        assertTrue(LikePattern.compile("a.c*[x]%", -1).matches("a.c*[x]yz"));
        assertFalse(LikePattern.compile("a.c%", -1).matches("abc"));
        assertTrue(LikePattern.compile("_\\Q_", -1).matches("x\\Qy"));
    }

    @Test
    void longTextWithManyPercentsMatchesQuickly() {
        String text = "a".repeat(100_000);
        LikePattern pattern = LikePattern.compile("%a%a%a%a%a%b", -1);
        long start = System.nanoTime();
        assertFalse(pattern.matches(text));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "matching took too long");
    }
}
