package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Valid selectors and their truth value against {@link TestMessages#standard()}. Each row is
 * {@code condition | TRUE, FALSE or UNKNOWN}; UNKNOWN means neither the condition nor its negation
 * matches.
 */
class SelectorEvaluationTest {

    private static void check(String condition, Outcome expected) throws SelectorSyntaxException {
        assertEquals(expected, Outcome.of(condition, TestMessages.standard()), condition);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            i = 5                       | TRUE
            i = 6                       | FALSE
            i <> 5                      | FALSE
            i <> 6                      | TRUE
            i > 4                       | TRUE
            i > 5                       | FALSE
            i >= 5                      | TRUE
            i < 5                       | FALSE
            i <= 5                      | TRUE
            i < 6                       | TRUE
            5 = i                       | TRUE
            6 > i                       | TRUE
            l = 10                      | TRUE
            l = 10.0                    | TRUE
            sh = 3                      | TRUE
            by = 2                      | TRUE
            by < sh                     | TRUE
            i < l                       | TRUE
            neg = -7                    | TRUE
            neg < 0                     | TRUE
            zero = 0                    | TRUE
            zero = -0                   | TRUE
            zero = 0.0                  | TRUE
            zero = -0.0                 | TRUE
            big = 9223372036854775807   | TRUE
            big > 9223372036854775806   | TRUE
            big = 9223372036854775806   | FALSE
            d = 2.5                     | TRUE
            d > 2                       | TRUE
            d < 3                       | TRUE
            d = 2.50                    | TRUE
            d = 25e-1                   | TRUE
            d = 0.25E1                  | TRUE
            fl = 1.5                    | TRUE
            fl = 1.5f                   | TRUE
            fl01 = 0.1                  | FALSE
            fl01 = 0.1f                 | TRUE
            fl01 = 0.1F                 | TRUE
            fl > 1                      | TRUE
            dInt = 5                    | TRUE
            dInt = i                    | TRUE
            i = 5.0                     | TRUE
            i = 5.0d                    | TRUE
            i = 5d                      | TRUE
            i = 5L                      | TRUE
            i = 5l                      | TRUE
            i = 0x5                     | TRUE
            i = 0X5                     | TRUE
            l = 0xA                     | TRUE
            l = 0xa                     | TRUE
            l = 012                     | TRUE
            l = 0b1010                  | TRUE
            l = 10.                     | TRUE
            d = 2.5D                    | TRUE
            i = .5e1                    | TRUE
            i = 5e0                     | TRUE
            i > -6                      | TRUE
            i > +4                      | TRUE
            i = +5                      | TRUE
            -i = -5                     | TRUE
            +i = 5                      | TRUE
            - - i = 5                   | TRUE
            -(-5) = 5                   | TRUE
            i = 2 + 3                   | TRUE
            i = 10 - 5                  | TRUE
            i = 10 / 2                  | TRUE
            i = 11 / 2                  | TRUE
            i = 5 / 2 * 2 + 1           | TRUE
            i * 2 = l                   | TRUE
            i + l = 15                  | TRUE
            i + d = 7.5                 | TRUE
            i / 2 = 2                   | TRUE
            i / 2.0 = 2.5               | TRUE
            d * 2 = 5                   | TRUE
            1 + 2 * 3 = 7               | TRUE
            (1 + 2) * 3 = 9             | TRUE
            10 - 2 - 3 = 5              | TRUE
            16 / 4 / 2 = 2              | TRUE
            -i * -1 = 5                 | TRUE
            big + 1 < 0                 | TRUE
            i / 0 = 1                   | UNKNOWN
            i / zero > 0                | UNKNOWN
            i / 0.0 > 1000000           | TRUE
            -i / 0.0 < -1000000         | TRUE
            d / 0 > 1000000             | TRUE
            zero / 0.0 = zero / 0.0     | FALSE
            zero / 0.0 <> zero / 0.0    | TRUE
            nan = nan                   | FALSE
            nan <> nan                  | TRUE
            nan > 0                     | FALSE
            nan BETWEEN 0 AND 1         | FALSE
            nan NOT BETWEEN 0 AND 1     | FALSE
            s = 'abc'                   | TRUE
            s = 'ABC'                   | FALSE
            s <> 'abc'                  | FALSE
            s <> 'x'                    | TRUE
            'abc' = s                   | TRUE
            s = s                       | TRUE
            empty = ''                  | TRUE
            quote = 'it''s'             | TRUE
            quote = 'its'               | FALSE
            '''' = ''''                 | TRUE
            'a''b' = 'a''b'             | TRUE
            'a' = 'a'                   | TRUE
            'a' = 'b'                   | FALSE
            'a' <> 'b'                  | TRUE
            multiline = 'first\\nsecond' | FALSE
            Name = 'upper'              | TRUE
            name = 'lower'              | TRUE
            NAME = 'upper'              | UNKNOWN
            t                           | TRUE
            f                           | FALSE
            missing                     | UNKNOWN
            i                           | UNKNOWN
            s                           | UNKNOWN
            (t)                         | TRUE
            t = TRUE                    | TRUE
            t = true                    | TRUE
            t = True                    | TRUE
            f = FALSE                   | TRUE
            t <> FALSE                  | TRUE
            t = f                       | FALSE
            TRUE                        | TRUE
            FALSE                       | FALSE
            TRUE = TRUE                 | TRUE
            TRUE <> FALSE               | TRUE
            (i = 5) = TRUE              | TRUE
            (i = 5) = (l = 10)          | TRUE
            (i = 5) <> (l = 11)         | TRUE
            (missing = 1) = TRUE        | UNKNOWN
            str5 = 5                    | FALSE
            str5 <> 5                   | FALSE
            i = '5'                     | FALSE
            i <> '5'                    | FALSE
            t = 1                       | FALSE
            t <> 1                      | FALSE
            s = TRUE                    | FALSE
            s > str5                    | UNKNOWN
            s <= s                      | UNKNOWN
            t > f                       | UNKNOWN
            s > i                       | FALSE
            t < i                       | FALSE
            s + 1 = 2                   | UNKNOWN
            -s = 1                      | UNKNOWN
            t * 2 = 2                   | UNKNOWN
            missing = 1                 | UNKNOWN
            missing <> 1                | UNKNOWN
            missing = 'a'               | UNKNOWN
            missing > 1                 | UNKNOWN
            1 = missing                 | UNKNOWN
            missing + 1 = 1             | UNKNOWN
            i + missing = 5             | UNKNOWN
            missing = missing           | UNKNOWN
            -missing = 0                | UNKNOWN
            missing IS NULL             | TRUE
            missing IS NOT NULL         | FALSE
            i IS NULL                   | FALSE
            i IS NOT NULL               | TRUE
            s IS NOT NULL               | TRUE
            empty IS NULL               | FALSE
            missing + 1 IS NULL         | TRUE
            i + 1 IS NULL               | FALSE
            (missing = 1) IS NULL       | TRUE
            (i = 1) IS NULL             | FALSE
            i / 0 IS NULL               | TRUE
            i BETWEEN 1 AND 10          | TRUE
            i BETWEEN 5 AND 10          | TRUE
            i BETWEEN 1 AND 5           | TRUE
            i BETWEEN 5 AND 5           | TRUE
            i BETWEEN 6 AND 10          | FALSE
            i BETWEEN 1 AND 4           | FALSE
            i BETWEEN 10 AND 1          | FALSE
            i NOT BETWEEN 1 AND 10      | FALSE
            i NOT BETWEEN 6 AND 10      | TRUE
            i NOT BETWEEN 5 AND 5       | FALSE
            d BETWEEN 2.5 AND 2.5       | TRUE
            d BETWEEN 2 AND 3           | TRUE
            i BETWEEN 4.5 AND 5.5       | TRUE
            i BETWEEN sh AND l          | TRUE
            i BETWEEN sh + 2 AND l - 5  | TRUE
            i + 1 BETWEEN 6 AND 6       | TRUE
            -i BETWEEN -6 AND -4        | TRUE
            missing BETWEEN 1 AND 2     | UNKNOWN
            missing NOT BETWEEN 1 AND 2 | UNKNOWN
            i BETWEEN missing AND 10    | UNKNOWN
            i BETWEEN missing AND 4     | FALSE
            i NOT BETWEEN missing AND 4 | TRUE
            i BETWEEN 1 AND missing     | UNKNOWN
            s BETWEEN 1 AND 10          | FALSE
            s NOT BETWEEN 1 AND 10      | FALSE
            t BETWEEN 0 AND 1           | FALSE
            s IN ('abc')                | TRUE
            s IN ('x', 'abc', 'y')      | TRUE
            s IN ('x', 'y')             | FALSE
            s NOT IN ('x', 'y')         | TRUE
            s NOT IN ('abc', 'y')       | FALSE
            s IN ('ABC')                | FALSE
            quote IN ('it''s')          | TRUE
            empty IN ('')               | TRUE
            missing IN ('a', 'b')       | UNKNOWN
            missing NOT IN ('a', 'b')   | UNKNOWN
            i IN ('5')                  | UNKNOWN
            i NOT IN ('5')              | UNKNOWN
            JMSType IN ('order', 'x')   | TRUE
            s LIKE 'abc'                | TRUE
            s LIKE 'ab'                 | FALSE
            s LIKE 'a%'                 | TRUE
            s LIKE '%c'                 | TRUE
            s LIKE '%b%'                | TRUE
            s LIKE '%'                  | TRUE
            s LIKE '%%'                 | TRUE
            s LIKE 'a%c'                | TRUE
            s LIKE 'a%b%c'              | TRUE
            s LIKE 'a%%c'               | TRUE
            s LIKE '_bc'                | TRUE
            s LIKE 'a_c'                | TRUE
            s LIKE '___'                | TRUE
            s LIKE '__'                 | FALSE
            s LIKE '____'               | FALSE
            s LIKE '_%'                 | TRUE
            s LIKE '%_'                 | TRUE
            s LIKE '%_%_%_%'            | TRUE
            s LIKE '%_%_%_%_%'          | FALSE
            s LIKE 'A%'                 | FALSE
            s LIKE 'b%'                 | FALSE
            s LIKE '%a'                 | FALSE
            s LIKE '%x%'                | FALSE
            s NOT LIKE 'a%'             | FALSE
            s NOT LIKE 'x%'             | TRUE
            empty LIKE '%'              | TRUE
            empty LIKE '_'              | FALSE
            empty LIKE ''               | TRUE
            multiline LIKE 'first%'     | TRUE
            multiline LIKE '%second'    | TRUE
            multiline LIKE 'first_second' | TRUE
            multiline LIKE 'f%d'        | TRUE
            quote LIKE 'it''_'          | TRUE
            quote LIKE '%''%'           | TRUE
            pct LIKE '100\\%' ESCAPE '\\'   | TRUE
            pct LIKE '100!%' ESCAPE '!' | TRUE
            pct LIKE '10!%' ESCAPE '!'  | FALSE
            pct LIKE '%!%' ESCAPE '!'   | TRUE
            s LIKE '%!%' ESCAPE '!'     | FALSE
            s LIKE 'abc!%' ESCAPE '!'   | FALSE
            under LIKE 'a!_b' ESCAPE '!' | TRUE
            s LIKE 'a!_c' ESCAPE '!'    | FALSE
            under LIKE 'a__' ESCAPE '!' | TRUE
            under LIKE '%!_%' ESCAPE '!' | TRUE
            s LIKE '%!_%' ESCAPE '!'    | FALSE
            s LIKE 'a!bc' ESCAPE '!'    | TRUE
            quote LIKE 'it!''s' ESCAPE '!' | TRUE
            s LIKE 'a%' ESCAPE '!'      | TRUE
            s LIKE 'a%' escape '!'      | TRUE
            missing LIKE 'a%'           | UNKNOWN
            missing NOT LIKE 'a%'       | UNKNOWN
            i LIKE '5'                  | UNKNOWN
            i NOT LIKE '5'              | UNKNOWN
            JMSType LIKE 'ord%'         | TRUE
            'abc' LIKE 'a%'             | TRUE
            i = 5 AND l = 10            | TRUE
            i = 5 AND l = 11            | FALSE
            i = 6 OR l = 10             | TRUE
            i = 6 OR l = 11             | FALSE
            NOT i = 5                   | FALSE
            NOT i = 6                   | TRUE
            NOT NOT i = 5               | TRUE
            NOT (i = 5)                 | FALSE
            NOT t                       | FALSE
            NOT f                       | TRUE
            NOT missing                 | UNKNOWN
            i = 6 OR l = 10 AND s = 'x' | FALSE
            (i = 6 OR l = 10) AND s = 'abc' | TRUE
            i = 5 OR l = 11 AND s = 'x' | TRUE
            NOT i = 6 AND l = 10        | TRUE
            NOT (i = 5 AND l = 11)      | TRUE
            NOT i = 5 OR l = 10         | TRUE
            t AND f OR t                | TRUE
            t AND (f OR t)              | TRUE
            f AND f OR t                | TRUE
            f AND (f OR t)              | FALSE
            (((i = 5)))                 | TRUE
            ((i) = (5))                 | TRUE
            i=5 AND l=10                | TRUE
            i>=5                        | TRUE
            i<>6                        | TRUE
            s='abc'OR i=1               | TRUE
            "   i = 5   "               | TRUE
            "i	=	5"                 | TRUE
            i = 5 and l = 10            | TRUE
            i = 5 And l = 10            | TRUE
            i = 6 or l = 10             | TRUE
            not i = 6                   | TRUE
            i between 1 and 10          | TRUE
            i Between 1 And 10          | TRUE
            i not between 6 and 10      | TRUE
            s in ('abc')                | TRUE
            s not in ('x')              | TRUE
            s like 'a%'                 | TRUE
            s not like 'x%'             | TRUE
            missing is null             | TRUE
            i is not null               | TRUE
            missing Is Not Null         | FALSE
            t = tRuE                    | TRUE
            f = false                   | TRUE
            JMSXGroupID = 'group-1'     | TRUE
            JMS_vendor = 42             | TRUE
            JMSXDeliveryCount IS NULL   | TRUE
            JMSXUserID = 'x'            | UNKNOWN
            JMS_other IS NULL           | TRUE
            jmsPriority IS NULL         | TRUE
            _under IS NULL              | TRUE
            $dollar IS NULL             | TRUE
            a1b2 IS NULL                | TRUE
            é IS NULL                   | TRUE
            nulls IS NULL               | TRUE
            trueish IS NULL             | TRUE
            andy IS NULL                | TRUE
            notes IS NULL               | TRUE
            isx IS NULL                 | TRUE
            escaped IS NULL             | TRUE
            inside IS NULL              | TRUE
            orange IS NULL              | TRUE
            likely IS NULL              | TRUE
            betweenness IS NULL         | TRUE
            """)
    void evaluatesAgainstStandardMessage(String condition, Outcome expected) throws SelectorSyntaxException {
        check(condition, expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            JMSPriority = 7                          | TRUE
            JMSPriority > 4                          | TRUE
            JMSPriority BETWEEN 5 AND 9              | TRUE
            JMSPriority = 7.0                        | TRUE
            JMSPriority + 1 = 8                      | TRUE
            JMSDeliveryMode = 'PERSISTENT'           | TRUE
            JMSDeliveryMode = 'NON_PERSISTENT'       | FALSE
            JMSDeliveryMode IN ('PERSISTENT')        | TRUE
            JMSMessageID = 'ID:1'                    | TRUE
            JMSMessageID LIKE 'ID:%'                 | TRUE
            JMSTimestamp = 1000                      | TRUE
            JMSTimestamp > 999 AND JMSTimestamp < 1001 | TRUE
            JMSTimestamp BETWEEN 0 AND 2000          | TRUE
            JMSCorrelationID = 'corr-1'              | TRUE
            JMSCorrelationID LIKE 'corr%'            | TRUE
            JMSCorrelationID IS NOT NULL             | TRUE
            JMSType = 'order'                        | TRUE
            JMSType <> 'order'                       | FALSE
            JMSType IS NULL                          | FALSE
            """)
    void readsHeaderIdentifiers(String condition, Outcome expected) throws SelectorSyntaxException {
        check(condition, expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            i = -9223372036854775808                  | FALSE
            -9223372036854775808 < 0                  | TRUE
            -9223372036854775808L < -9223372036854775807 | TRUE
            0xFFFFFFFFFFFFFFFF = -1                   | TRUE
            0x7FFFFFFFFFFFFFFFL = 9223372036854775807 | TRUE
            017 = 15                                  | TRUE
            0 = 0                                     | TRUE
            00 = 0                                    | TRUE
            09.5 = 9.5                                | TRUE
            1e3 = 1000                                | TRUE
            1E+3 = 1000                               | TRUE
            1000e-3 = 1                               | TRUE
            7. = 7                                    | TRUE
            .5 = 0.5                                  | TRUE
            1.7976931348623157E308 > 1                | TRUE
            4.9e-324 > 0                              | TRUE
            9007199254740993 = 9007199254740992.0     | TRUE
            9007199254740993 = 9007199254740992       | FALSE
            """)
    void parsesNumericLiteralsLikeJava(String condition, Outcome expected) throws SelectorSyntaxException {
        check(condition, expected);
    }
}
