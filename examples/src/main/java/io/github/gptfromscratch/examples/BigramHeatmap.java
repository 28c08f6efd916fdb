package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.models.BigramCounts;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The lecture's picture of the count matrix: one cell per (first, second) character, shaded by the
 * count (matplotlib's "Blues"), with the two characters and the count written in the cell.
 */
final class BigramHeatmap {

    private static final int CELL = 46;
    private static final int MARGIN = 20;
    private static final Color LIGHT = new Color(0xF7FBFF);
    private static final Color DARK = new Color(0x08306B);

    private BigramHeatmap() {
    }

    static void write(Path file, BigramCounts counts) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String vocabulary = counts.tokenizer().toString();
        int v = counts.vocabSize();
        int max = 1;
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < v; j++) {
                max = Math.max(max, counts.count(i, j));
            }
        }
        int size = 2 * MARGIN + v * CELL;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < v; j++) {
                int n = counts.count(i, j);
                double t = (double) n / max;
                int x = MARGIN + j * CELL;
                int y = MARGIN + i * CELL;
                g.setColor(mix(LIGHT, DARK, t));
                g.fillRect(x, y, CELL, CELL);
                // Gray text as in the lecture stays readable on light cells; dark cells get white.
                g.setColor(t > 0.5 ? Color.WHITE : Color.GRAY);
                String pair = vocabulary.charAt(i) + "" + vocabulary.charAt(j);
                String count = Integer.toString(n);
                g.drawString(pair, x + (CELL - fm.stringWidth(pair)) / 2, y + CELL / 2 - 3);
                g.drawString(count, x + (CELL - fm.stringWidth(count)) / 2, y + CELL / 2 + fm.getAscent());
            }
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static Color mix(Color from, Color to, double t) {
        return new Color(
                (int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
                (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
                (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue())));
    }
}
