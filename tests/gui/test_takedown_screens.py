"""Notices, providers and statistics screens on the demo workspace."""

from pytestqt.qtbot import QtBot

from app.ui.takedown_pages import NoticesPage, ProviderDialog, ProvidersPage, StatsPage


def test_build_preview_and_send_a_notice(qtbot: QtBot, desk_of) -> None:
    sam = desk_of("sam")
    sam.confirm(report="DEMO-1")  # the three exact hits on the demo list
    page = NoticesPage(sam)
    qtbot.addWidget(page)
    page.refresh()
    page.build()  # in the background: the window goes on while hosting is looked up
    qtbot.waitUntil(lambda: "Built" in page.message.text(), timeout=60_000)
    assert "Built 1 notices and 0 referrals" in page.message.text()
    assert page.model.rowCount() == 1
    page.view.selectRow(0)
    page.preview()  # rendered in the background, shown when ready
    qtbot.waitUntil(lambda: page.previewed is not None, timeout=60_000)
    preview = page.previewed
    qtbot.addWidget(preview)
    assert preview.document.pageCount() >= 1
    page.sent()
    assert page.model.data(page.model.index(0, 4)) == "sent"
    page.show_urls()
    assert "3 URLs, 3 still online" in page.message.text()


def test_recheck_runs_in_the_background(qtbot: QtBot, desk_of) -> None:
    sam = desk_of("sam")
    sam.confirm(report="DEMO-1")
    sam.build_notices()
    sam.mark_sent(sam.notices()[0].reference)
    page = NoticesPage(sam)
    qtbot.addWidget(page)
    page.recheck()
    qtbot.waitUntil(lambda: "removed now" in page.message.text(), timeout=60_000)
    # the demo site is not running in this test: the URLs are unreachable, not removed
    assert "0 removed now, 0 still online, 3 unreachable" in page.message.text()


def test_add_a_provider(qtbot: QtBot, desk_of) -> None:
    page = ProvidersPage(desk_of("sam"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 1  # the demo's
    dialog = ProviderDialog()
    qtbot.addWidget(dialog)
    dialog.asn.setValue(64511)
    dialog.name.setText("Another Host")
    dialog.email.setText("abuse@another.example")
    page.save(dialog)
    assert page.model.rowCount() == 2


def test_statistics_with_a_chart(qtbot: QtBot, desk_of) -> None:
    page = StatsPage(desk_of("anna"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 2)) == "12"  # items this month
    assert len(page.chart.series()) == 1


def test_rdap_lookup_button_says_what_happened(qtbot: QtBot, desk_of) -> None:
    desk_of("admin").set_setting("hosting.rdap_url", "")
    page = ProvidersPage(desk_of("sam"))
    qtbot.addWidget(page)
    page.lookup()
    qtbot.waitUntil(lambda: "RDAP is off" in page.message.text(), timeout=30_000)


def test_reports_page(qtbot: QtBot, desk_of) -> None:
    from app.ui.pages import ReportsPage

    page = ReportsPage(desk_of("anna"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.data(page.model.index(0, 0)) == "DEMO-1"


def test_a_report_opens_its_items_in_the_queue(qtbot: QtBot, desk_of, tmp_path) -> None:
    from app.ui.main_window import MainWindow
    from tests.synthetic import jpeg

    anna = desk_of("anna")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.jpg").write_bytes(jpeg(5100))
    anna.import_report(files=[tmp_path / "other" / "a.jpg"], reference="OTHER-7")
    window = MainWindow(anna)
    qtbot.addWidget(window)
    reports = window.pages["Reports"]
    reports.refresh()
    references = [reports.model.data(reports.model.index(r, 0))
                  for r in range(reports.model.rowCount())]
    reports.view.selectRow(references.index("OTHER-7"))
    reports.open_selected()
    assert window.stack.currentWidget() is window.queue
    assert window.queue.report_filter.text() == "OTHER-7"
    assert window.queue.model.rowCount() == 1


def test_notices_table_columns_and_rechecking_one_notice(qtbot: QtBot, desk_of) -> None:
    sam = desk_of("sam")
    sam.confirm(report="DEMO-1")
    sam.build_notices()
    page = NoticesPage(sam)
    qtbot.addWidget(page)
    page.refresh()
    row = [page.model.data(page.model.index(0, c)) for c in range(page.model.columnCount())]
    assert row[2] == "Demo Hosting B.V."
    assert row[3] == "3 of 3"
    assert row[6] == ""  # never checked
    page.view.selectRow(0)
    page.sent()
    page.recheck(one=True)
    qtbot.waitUntil(lambda: "removed now" in page.message.text(), timeout=60_000)
    assert page.message.text().startswith(sam.notices()[0].reference)
    assert page.model.data(page.model.index(0, 6)) != ""  # checked just now
