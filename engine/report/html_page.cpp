// engine/report/html_page.cpp - see html_page.hpp.
#include "engine/report/html_page.hpp"

#include "engine/report/svg_chart.hpp"

namespace rc {

namespace {
constexpr const char* style =
    "body{font-family:system-ui,sans-serif;max-width:780px;margin:2em auto;color:#222;"
    "padding:0 1em}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid "
    "#ddd}table{border-collapse:collapse;margin:.5em 0}td{padding:2px 12px 2px 0;"
    "vertical-align:top}td:first-child{color:#555;white-space:nowrap}svg{display:block;"
    "margin:.5em 0}";
} // namespace

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::add_heading(const std::string& text) {
  body_ += "<h2>" + xml_escape(text) + "</h2>\n";
}

void HtmlPage::add_paragraph(const std::string& text) {
  body_ += "<p>" + xml_escape(text) + "</p>\n";
}

void HtmlPage::add_table(const std::vector<std::pair<std::string, std::string>>& rows) {
  body_ += "<table>\n";
  for (const auto& [name, value] : rows)
    body_ += "<tr><td>" + xml_escape(name) + "</td><td>" + xml_escape(value) + "</td></tr>\n";
  body_ += "</table>\n";
}

void HtmlPage::add_svg(const std::string& svg) { body_ += svg + "\n"; }

std::string HtmlPage::str() const {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" +
         xml_escape(title_) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n<h1>" +
         xml_escape(title_) + "</h1>\n" + body_ + "</body>\n</html>\n";
}

} // namespace rc
