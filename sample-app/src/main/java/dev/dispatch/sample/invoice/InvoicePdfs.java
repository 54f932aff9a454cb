package dev.dispatch.sample.invoice;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import dev.dispatch.sample.SampleProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.springframework.stereotype.Service;

/**
 * {@code generate_invoice}: renders a client's invoice as a PDF (Apache PDFBox) and returns its path. A client
 * without a billing address cannot be invoiced: that fails for good, without retry.
 */
@Service
public class InvoicePdfs {

    public static final String GENERATE_INVOICE = "invoices.generateInvoice";

    private static final BigDecimal VAT = new BigDecimal("0.20");

    private final Dispatcher dispatcher;

    private final Path directory;

    public InvoicePdfs(Dispatcher dispatcher, SampleProperties properties) {
        this.dispatcher = dispatcher;
        this.directory = properties.invoicesDir();
    }

    @DispatchFunction(name = GENERATE_INVOICE)
    public String generateInvoice(Client client) {
        if (client.billingAddress() == null || client.billingAddress().isBlank()) {
            throw new PermanentFailureException(client.label() + " has no billing address");
        }
        // one folder per run, so two runs never write the same file
        String run = this.dispatcher.current().orElseThrow().rootId().value();
        try {
            Path folder = Files.createDirectories(this.directory.resolve(run));
            Path pdf = folder.resolve("invoice-%04d.pdf".formatted(client.id()));
            Path partial = Files.createTempFile(folder, "invoice-", ".part");
            render(client, "INV-" + run.substring(0, 8).toUpperCase(Locale.ROOT) + "-" + client.id(), partial);
            // a retry after a crash finds either no file or a whole one, never half a PDF
            Files.move(partial, pdf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return pdf.toAbsolutePath().toString();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // an I/O error: temporary, retried
        }
    }

    private static void render(Client client, String number, Path file) throws IOException {
        BigDecimal net = client.monthlyFee().setScale(2, RoundingMode.HALF_UP);
        BigDecimal vat = net.multiply(VAT).setScale(2, RoundingMode.HALF_UP);
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.newLineAtOffset(60, 770);
                text.setFont(bold, 20);
                text.showText("Invoice " + number);
                text.setFont(regular, 11);
                text.setLeading(16);
                text.newLine();
                text.showText("Dispatch Sample Ltd, 1 Durable Way, Resume City");
                text.newLine();
                text.showText("Date: " + LocalDate.now());
                text.newLine();
                text.newLine();
                text.setFont(bold, 12);
                text.showText("Bill to: " + client.name());
                text.setFont(regular, 11);
                text.newLine();
                text.showText(client.billingAddress());
                text.newLine();
                text.newLine();
                text.showText("Durable functions plan, one month: " + net + " EUR");
                text.newLine();
                text.showText("VAT 20%: " + vat + " EUR");
                text.newLine();
                text.setFont(bold, 12);
                text.showText("Total due: " + net.add(vat) + " EUR");
                text.endText();
            }
            document.save(file.toFile());
        }
    }
}
