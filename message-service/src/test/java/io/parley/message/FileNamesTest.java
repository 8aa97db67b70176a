package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.domain.FileNames;
import org.junit.jupiter.api.Test;

/** The safe display name of an upload (the files contract, section 1), never refused. */
class FileNamesTest {

    @Test
    void pathsKeepTheirLastPart() {
        assertThat(FileNames.safeName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.safeName("..\\..\\Windows\\win.ini")).isEqualTo("win.ini");
        assertThat(FileNames.safeName("C:\\Users\\a/b\\report.pdf")).isEqualTo("report.pdf");
        assertThat(FileNames.safeName("/abs/path/")).isEqualTo("file");
    }

    @Test
    void controlsAndBidiAndLoneSurrogatesAreDropped() {
        assertThat(FileNames.safeName("a\u0000b.txt")).isEqualTo("ab.txt");
        assertThat(FileNames.safeName("in\u0007voice\u001F\u007F\u0085.pdf")).isEqualTo("invoice.pdf");
        assertThat(FileNames.safeName("photo\u202Egpj.exe")).isEqualTo("photogpj.exe");
        assertThat(FileNames.safeName("\u2066a\u2067b\u2068c\u2069\u200E\u200F\u202A\u202B\u202C\u202D.txt"))
                .isEqualTo("abc.txt");
        assertThat(FileNames.safeName("x\uD800y\uDC00z.txt")).isEqualTo("xyz.txt");
        assertThat(FileNames.safeName("smile \uD83D\uDE00.png")).isEqualTo("smile \uD83D\uDE00.png");
        assertThat(FileNames.safeName("résumé – été.pdf")).isEqualTo("résumé – été.pdf");
    }

    @Test
    void emptyDotsAndBlankBecomeFile() {
        assertThat(FileNames.safeName(null)).isEqualTo("file");
        assertThat(FileNames.safeName("")).isEqualTo("file");
        assertThat(FileNames.safeName("   ")).isEqualTo("file");
        assertThat(FileNames.safeName(".")).isEqualTo("file");
        assertThat(FileNames.safeName("..")).isEqualTo("file");
        assertThat(FileNames.safeName(".\u0000.")).isEqualTo("file");
        assertThat(FileNames.safeName("a/..")).isEqualTo("file");
        assertThat(FileNames.safeName("\u0000\u202E")).isEqualTo("file");
        assertThat(FileNames.safeName("  notes.txt \t")).isEqualTo("notes.txt");
        assertThat(FileNames.safeName(".bashrc")).isEqualTo(".bashrc");
    }

    @Test
    void longNamesKeepTheirExtensionWithin255CodePoints() {
        String name = FileNames.safeName("a".repeat(300) + ".pdf");
        assertThat(name).hasSize(255).endsWith("aaa.pdf");
        String emoji = "\uD83D\uDE00".repeat(300) + ".jpeg";
        String kept = FileNames.safeName(emoji);
        assertThat(kept.codePointCount(0, kept.length())).isEqualTo(255);
        assertThat(kept).endsWith("\uD83D\uDE00.jpeg");
        String noExtension = FileNames.safeName("b".repeat(400));
        assertThat(noExtension).isEqualTo("b".repeat(255));
        String hugeExtension = FileNames.safeName("c." + "d".repeat(400));
        assertThat(hugeExtension.codePointCount(0, hugeExtension.length())).isEqualTo(255);
        String exactly = "e".repeat(251) + ".txt";
        assertThat(FileNames.safeName(exactly)).isEqualTo(exactly);
    }
}
