//! Layered (Sugiyama-style) layout: break cycles, assign layers by longest path,
//! order each layer by barycentre sweeps, then place nodes on a grid. Pure and
//! O(iterations × (V + E log E)), so a 1,000-service fleet lays out in milliseconds.

pub const NODE_W: f64 = 180.0;
pub const NODE_H: f64 = 40.0;
const GAP_ALONG: f64 = 24.0;
const GAP_ACROSS: f64 = 80.0;
const MARGIN: f64 = 20.0;
const SWEEPS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Layers are rows, dependencies below their dependents.
    TopDown,
    /// Layers are columns, dependencies right of their dependents.
    LeftRight,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub layer: Vec<u32>,
    /// Top-left corner of each node.
    pub pos: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
    /// Node index sequences forming cycles (one per back edge found).
    pub cycles: Vec<Vec<usize>>,
}

/// Lays out `n` nodes joined by directed `edges` (from, to); `from` is placed above `to`.
pub fn layout(n: usize, edges: &[(usize, usize)], orientation: Orientation) -> Layout {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a < n && b < n && a != b {
            out[a].push(b);
        }
    }
    let (acyclic, cycles) = break_cycles(n, &out);
    let layer = longest_path_layers(n, &acyclic);
    let layers = order_layers(n, &layer, &acyclic);
    let widest = layers.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let mut pos = vec![(0.0, 0.0); n];
    let (along, across) = match orientation {
        Orientation::TopDown => (NODE_W + GAP_ALONG, NODE_H + GAP_ACROSS),
        Orientation::LeftRight => (NODE_H + GAP_ALONG, NODE_W + GAP_ACROSS),
    };
    for (li, nodes) in layers.iter().enumerate() {
        let offset = (widest - nodes.len() as f64) * along / 2.0;
        for (i, &v) in nodes.iter().enumerate() {
            let a = MARGIN + offset + i as f64 * along;
            let c = MARGIN + li as f64 * across;
            pos[v] = match orientation {
                Orientation::TopDown => (a, c),
                Orientation::LeftRight => (c, a),
            };
        }
    }
    let span_along = MARGIN * 2.0 + widest * along;
    let span_across = MARGIN * 2.0 + layers.len() as f64 * across;
    let (width, height) = match orientation {
        Orientation::TopDown => (span_along, span_across),
        Orientation::LeftRight => (span_across, span_along),
    };
    Layout {
        layer: layer.iter().map(|&l| l as u32).collect(),
        pos,
        width,
        height,
        cycles,
    }
}

/// Iterative DFS; an edge back onto the stack closes a cycle and is dropped for layering.
fn break_cycles(n: usize, out: &[Vec<usize>]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    let mut mark = vec![Mark::New; n];
    let mut acyclic: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut cycles = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::OnStack;
        path.push(root);
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*i) {
                *i += 1;
                match mark[w] {
                    Mark::New => {
                        acyclic[v].push(w);
                        mark[w] = Mark::OnStack;
                        path.push(w);
                        stack.push((w, 0));
                    }
                    Mark::OnStack => {
                        if cycles.len() < 50
                            && let Some(start) = path.iter().position(|&p| p == w)
                        {
                            cycles.push(path[start..].to_vec());
                        }
                    }
                    Mark::Done => acyclic[v].push(w),
                }
            } else {
                mark[v] = Mark::Done;
                path.pop();
                stack.pop();
            }
        }
    }
    (acyclic, cycles)
}

fn longest_path_layers(n: usize, out: &[Vec<usize>]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    for vs in out {
        for &w in vs {
            indeg[w] += 1;
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut layer = vec![0usize; n];
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push(w);
            }
        }
    }
    layer
}

/// Barycentre heuristic: alternately order each layer by the mean position of its
/// neighbours in the layers above, then below.
fn order_layers(n: usize, layer: &[usize], out: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let count = layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); count];
    for v in 0..n {
        layers[layer[v]].push(v);
    }
    let mut inn: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, ws) in out.iter().enumerate() {
        for &w in ws {
            inn[w].push(v);
        }
    }
    let mut index = vec![0f64; n];
    let reindex = |layers: &Vec<Vec<usize>>, index: &mut Vec<f64>| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                index[v] = i as f64;
            }
        }
    };
    reindex(&layers, &mut index);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for li in order {
            let neighbours = if down { &inn } else { out };
            let mut keyed: Vec<(f64, usize)> = layers[li]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let key = if ns.is_empty() {
                        index[v]
                    } else {
                        ns.iter().map(|&u| index[u]).sum::<f64>() / ns.len() as f64
                    };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[li] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in layers[li].iter().enumerate() {
                index[v] = i as f64;
            }
        }
    }
    layers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_sit_below_their_dependents() {
        // 0 -> 1 -> 2, 0 -> 2
        let l = layout(3, &[(0, 1), (1, 2), (0, 2)], Orientation::TopDown);
        assert_eq!(l.layer, vec![0, 1, 2]);
        assert!(l.pos[0].1 < l.pos[1].1 && l.pos[1].1 < l.pos[2].1);
        let lr = layout(3, &[(0, 1), (1, 2)], Orientation::LeftRight);
        assert!(lr.pos[0].0 < lr.pos[1].0);
    }

    #[test]
    fn cycles_are_reported_and_still_laid_out() {
        let l = layout(3, &[(0, 1), (1, 2), (2, 0)], Orientation::TopDown);
        assert_eq!(l.cycles, vec![vec![0, 1, 2]]);
        assert_eq!(l.layer.len(), 3);
    }

    #[test]
    fn barycentre_uncrosses_a_simple_crossing() {
        // layer0: 0,1 ; layer1: 2,3 with 0->3, 1->2: best order puts 3 before 2.
        let l = layout(4, &[(0, 3), (1, 2)], Orientation::TopDown);
        assert!(l.pos[3].0 < l.pos[2].0, "{:?}", l.pos);
    }

    #[test]
    fn no_node_overlaps_within_a_layer() {
        let edges: Vec<(usize, usize)> = (1..50).map(|i| (0, i)).collect();
        let l = layout(50, &edges, Orientation::TopDown);
        let mut xs: Vec<f64> = (1..50).map(|i| l.pos[i].0).collect();
        xs.sort_by(f64::total_cmp);
        assert!(xs.windows(2).all(|w| w[1] - w[0] >= NODE_W));
    }
}
