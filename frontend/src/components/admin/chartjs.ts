// The only module that imports chart.js. The chart components load it with a dynamic import(),
// so chart.js is a chunk of its own that only the screens that chart ever download.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, PointElement, ScatterController, Tooltip)

export { Chart }
