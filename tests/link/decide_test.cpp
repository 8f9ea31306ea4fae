#include "mgeo/link/decide.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace mgeo::link {
namespace {

using address::Comparison;
using address::Field;
using address::Match;

Comparison with(std::initializer_list<std::pair<Field, Match>> parts) {
  Comparison c;
  c.fields.fill(Match::equal);
  for (const auto& [f, m] : parts) c.fields[static_cast<std::size_t>(f)] = m;
  return c;
}

TEST(Veto, EachConflictNamesItsVetoInOrder) {
  const Vetoes all;
  EXPECT_EQ(veto(with({}), all), Reason::model);
  EXPECT_EQ(veto(with({{Field::district, Match::conflict}}), all), Reason::veto_district);
  EXPECT_EQ(veto(with({{Field::city, Match::conflict}}), all), Reason::veto_district);
  EXPECT_EQ(veto(with({{Field::province, Match::conflict}}), all), Reason::veto_district);
  EXPECT_EQ(veto(with({{Field::road, Match::conflict}}), all), Reason::veto_road);
  EXPECT_EQ(veto(with({{Field::number, Match::conflict}}), all), Reason::veto_number);
  EXPECT_EQ(veto(with({{Field::building, Match::conflict}}), all), Reason::veto_building);
  // district first, then road, number, building
  EXPECT_EQ(veto(with({{Field::number, Match::conflict}, {Field::road, Match::conflict}}), all), Reason::veto_road);
  EXPECT_EQ(veto(with({{Field::number, Match::conflict}, {Field::district, Match::conflict}}), all),
            Reason::veto_district);
}

TEST(Veto, MissingPartsAndOtherFieldsNeverVeto) {
  const Vetoes all;
  EXPECT_EQ(veto(with({{Field::district, Match::missing}, {Field::number, Match::missing}}), all), Reason::model);
  EXPECT_EQ(veto(with({{Field::room, Match::conflict}, {Field::poi, Match::conflict}, {Field::town, Match::conflict}}), all),
            Reason::model);
}

TEST(Veto, SwitchedOffVetoesDoNotFire) {
  Vetoes v;
  v.number = false;
  EXPECT_EQ(veto(with({{Field::number, Match::conflict}}), v), Reason::model);
  EXPECT_EQ(veto(with({{Field::number, Match::conflict}, {Field::building, Match::conflict}}), v),
            Reason::veto_building);
  v = Vetoes{false, false, false, false};
  EXPECT_EQ(veto(with({{Field::district, Match::conflict}, {Field::road, Match::conflict}}), v), Reason::model);
}

TEST(Decide, EmptyListHasNoCandidate) {
  const auto d = decide({}, 0.5f, [](std::size_t) { return Reason::model; });
  EXPECT_EQ(d.best, -1);
  EXPECT_FALSE(d.linked);
  EXPECT_EQ(d.reason, Reason::no_candidate);
}

TEST(Decide, LinksTheBestAndNamesTheRunnerUp) {
  const auto d = decide({0.2f, 0.9f, 0.7f}, 0.5f, [](std::size_t) { return Reason::model; });
  EXPECT_EQ(d.best, 1);
  EXPECT_EQ(d.second, 2);
  EXPECT_TRUE(d.linked);
  EXPECT_EQ(d.reason, Reason::model);
}

TEST(Decide, BelowThresholdKeepsBestForCalibration) {
  const auto d = decide({0.2f, 0.3f}, 0.5f, [](std::size_t) { return Reason::model; });
  EXPECT_EQ(d.best, 1);
  EXPECT_FALSE(d.linked);
  EXPECT_EQ(d.reason, Reason::below_threshold);
}

TEST(Decide, VetoedTopFallsToTheNextOrNamesTheVeto) {
  // 建国路88号 (0.95, another number) above 建国路8号 (0.8): the veto skips the first.
  auto v = [](std::size_t i) { return i == 0 ? Reason::veto_number : Reason::model; };
  auto d = decide({0.95f, 0.8f}, 0.5f, v);
  EXPECT_EQ(d.best, 1);
  EXPECT_TRUE(d.linked);
  EXPECT_EQ(d.reason, Reason::model);
  // The only survivor is below the threshold: the veto is the reason, best stays for sweeps.
  d = decide({0.95f, 0.1f}, 0.5f, v);
  EXPECT_EQ(d.best, 1);
  EXPECT_FALSE(d.linked);
  EXPECT_EQ(d.reason, Reason::veto_number);
  // Everything vetoed: no best.
  d = decide({0.95f}, 0.5f, v);
  EXPECT_EQ(d.best, -1);
  EXPECT_EQ(d.reason, Reason::veto_number);
  // A vetoed candidate below the threshold is not the reason.
  d = decide({0.3f}, 0.5f, v);
  EXPECT_EQ(d.reason, Reason::below_threshold);
}

TEST(Decide, AsksForVetoesOnlyAsFarAsNeeded) {
  std::vector<std::size_t> asked;
  const auto d = decide({0.1f, 0.9f, 0.8f, 0.7f, 0.6f}, 0.5f, [&](std::size_t i) {
    asked.push_back(i);
    return Reason::model;
  });
  EXPECT_EQ(d.best, 1);
  EXPECT_EQ(d.second, 2);
  EXPECT_EQ(asked, (std::vector<std::size_t>{1, 2}));
}

TEST(Decide, TiesGoToTheEarlierCandidateAndNaNIsLast) {
  const float nan = std::nanf("");
  auto d = decide({0.7f, 0.7f}, 0.5f, [](std::size_t) { return Reason::model; });
  EXPECT_EQ(d.best, 0);
  EXPECT_EQ(d.second, 1);
  d = decide({nan, 0.6f}, 0.5f, [](std::size_t) { return Reason::model; });
  EXPECT_EQ(d.best, 1);
  d = decide({nan}, 0.0f, [](std::size_t) { return Reason::model; });
  EXPECT_FALSE(d.linked);
}

TEST(Decide, ReasonNames) {
  EXPECT_STREQ(reason_name(Reason::veto_number), "veto:number");
  EXPECT_STREQ(reason_name(Reason::no_candidate), "no_candidate");
  EXPECT_STREQ(reason_name(Reason::flagged), "flagged");
}

}  // namespace
}  // namespace mgeo::link
