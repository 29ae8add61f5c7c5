//! Ballots stored flat (one array of project indices, one of points, and where each ballot
//! starts), so that millions of them take a few allocations and scan fast.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballots {
    starts: Vec<usize>,
    projects: Vec<u32>,
    points: Vec<u32>,
}

impl Default for Ballots {
    fn default() -> Self {
        Ballots::new()
    }
}

impl Ballots {
    pub fn new() -> Self {
        Ballots {
            starts: vec![0],
            projects: Vec::new(),
            points: Vec::new(),
        }
    }

    pub fn with_capacity(ballots: usize, choices: usize) -> Self {
        let mut starts = Vec::with_capacity(ballots + 1);
        starts.push(0);
        Ballots {
            starts,
            projects: Vec::with_capacity(choices),
            points: Vec::with_capacity(choices),
        }
    }

    /// Adds one choice (project index, points; 1 for an approval) to the ballot being built.
    pub fn push_choice(&mut self, project: u32, points: u32) {
        self.projects.push(project);
        self.points.push(points);
    }

    /// Closes the ballot being built; a ballot with no choice still counts as a voter.
    pub fn finish_ballot(&mut self) {
        self.starts.push(self.projects.len());
    }

    /// Adds a whole ballot of approvals.
    pub fn push_approval(&mut self, projects: &[u32]) {
        for &project in projects {
            self.push_choice(project, 1);
        }
        self.finish_ballot();
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The choices of ballot `index`: project indices and their points.
    pub fn ballot(&self, index: usize) -> (&[u32], &[u32]) {
        let range = self.starts[index]..self.starts[index + 1];
        (&self.projects[range.clone()], &self.points[range])
    }

    pub fn iter(&self) -> impl Iterator<Item = (&[u32], &[u32])> {
        (0..self.len()).map(|index| self.ballot(index))
    }

    /// Whether the arrays describe ballots at all (they may come over the wire).
    pub(crate) fn is_well_formed(&self) -> bool {
        self.starts.first() == Some(&0)
            && self.starts.last() == Some(&self.projects.len())
            && self.starts.windows(2).all(|pair| pair[0] <= pair[1])
            && self.points.len() == self.projects.len()
    }

    pub(crate) fn project_indices(&self) -> &[u32] {
        &self.projects
    }

    pub(crate) fn points(&self) -> &[u32] {
        &self.points
    }
}
