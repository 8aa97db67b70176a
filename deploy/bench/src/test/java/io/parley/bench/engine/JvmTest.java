package io.parley.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading {@code jcmd GC.heap_info} answers of the collectors the stack runs with. */
class JvmTest {

    @Test
    void parallelCollectorsOldGeneration() {
        String info = """
                 PSYoungGen      total 76288K, used 2621K [0x00000000eab00000, 0x00000000f0000000)
                  eden space 65536K, 4% used [0x00000000eab00000,0x00000000ead8f4f8,0x00000000eeb00000)
                 ParOldGen       total 175104K, used 13436K [0x00000000c0000000, 0x00000000cab00000)
                 Metaspace       used 55123K, committed 55680K, reserved 1114112K
                """;
        assertThat(Jvm.oldKb(info)).isEqualTo(13436);
        assertThat(Jvm.usedKb(info)).isEqualTo(2621 + 13436);
    }

    @Test
    void serialCollectorsTenuredGeneration() {
        String info = """
                 def new generation   total 9792K, used 1234K [0x00000000e0000000, 0x00000000e0aa0000)
                 tenured generation   total 21888K, used 8000K [0x00000000eaaa0000, 0x00000000ec000000)
                """;
        assertThat(Jvm.oldKb(info)).isEqualTo(8000);
    }

    @Test
    void withoutAnOldGenerationTheWholeHeapCounts() {
        String info = " garbage-first heap   total 262144K, used 12345K [0x0000000080000000, 0x0000000100000000)\n";
        assertThat(Jvm.oldKb(info)).isEqualTo(12345);
    }
}
